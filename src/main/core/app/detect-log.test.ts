import { detectLogCandidates, logPlaces } from './detect-log';

describe('GPU-Z log auto-detection', () => {
  it('lists the usual Windows places, existing files first', async () => {
    const existing = new Set(['C:\\Program Files (x86)\\GPU-Z\\GPU-Z Sensor Log.txt']);
    const candidates = await detectLogCandidates({
      env: { USERPROFILE: 'C:\\Users\\ann', 'ProgramFiles(x86)': 'C:\\Program Files (x86)' },
      home: 'C:\\Users\\ann',
      exists: async (path) => existing.has(path),
      platform: 'win32',
    });
    expect(candidates).toEqual([
      {
        path: 'C:\\Program Files (x86)\\GPU-Z\\GPU-Z Sensor Log.txt',
        exists: true,
        reason: 'GPU-Z install folder',
      },
      {
        path: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt',
        exists: false,
        reason: "GPU-Z's default (Documents)",
      },
      {
        path: 'C:\\Users\\ann\\Downloads\\GPU-Z Sensor Log.txt',
        exists: false,
        reason: 'portable GPU-Z run from Downloads',
      },
      { path: 'C:\\Users\\ann\\Desktop\\GPU-Z Sensor Log.txt', exists: false, reason: 'Desktop' },
    ]);
  });

  it('the places the agent looks at for GPU-Z writing elsewhere: every one, in order, the OneDrive Documents too', () => {
    // Act
    const places = logPlaces({
      env: { USERPROFILE: 'C:\\Users\\ann', OneDrive: 'C:\\Users\\ann\\OneDrive' },
      home: 'C:\\Users\\ann',
      platform: 'win32',
    });

    // Assess
    expect(places.map((p) => p.path)).toEqual([
      'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt',
      'C:\\Users\\ann\\OneDrive\\Documents\\GPU-Z Sensor Log.txt',
      'C:\\Users\\ann\\Downloads\\GPU-Z Sensor Log.txt',
      'C:\\Users\\ann\\Desktop\\GPU-Z Sensor Log.txt',
    ]);
  });

  it('on Linux with an empty USERPROFILE (Wine, some shells) uses POSIX paths under the home folder', async () => {
    const candidates = await detectLogCandidates({
      env: { USERPROFILE: '' },
      home: '/home/ann',
      exists: async () => false,
      platform: 'linux',
    });
    expect(candidates.map((c) => c.path)).toEqual([
      '/home/ann/Documents/GPU-Z Sensor Log.txt',
      '/home/ann/Downloads/GPU-Z Sensor Log.txt',
      '/home/ann/Desktop/GPU-Z Sensor Log.txt',
    ]);
  });
});
