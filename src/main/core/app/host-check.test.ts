import { hostNotice } from './host-check';

describe('hostNotice: settings saved on another PC', () => {
  it('says so when this PC uploads under the name of the PC that saved the settings, naming both and what to do', () => {
    expect(hostNotice({ host: 'old-pc', savedOn: 'old-pc' }, 'new-pc')).toEqual({
      code: 'HOST_FROM_OTHER_PC',
      message:
        'These settings were saved on the PC named “old-pc”; this PC is “new-pc” and uploads as “old-pc”',
      advice:
        'If this is another PC, set Settings → Host name to new-pc: two PCs under one name mix their readings in the charts and sessions. If it is the same PC renamed, save the settings once to keep “old-pc”.',
    });
    // A host name chosen on the other PC, not its own: the same mix
    expect(hostNotice({ host: 'gaming-pc', savedOn: 'old-pc' }, 'new-pc')?.message).toBe(
      'These settings were saved on the PC named “old-pc”; this PC is “new-pc” and uploads as “gaming-pc”',
    );
  });

  it('says nothing when saved here, when the host is already this PC’s name, or when it is not known where they were saved', () => {
    expect(hostNotice({ host: 'gaming-pc', savedOn: 'new-pc' }, 'new-pc')).toBeNull();
    expect(hostNotice({ host: 'new-pc', savedOn: 'old-pc' }, 'new-pc')).toBeNull();
    expect(hostNotice({ host: 'old-pc' }, 'new-pc')).toBeNull();
  });

  it('takes this PC’s name as earlier builds wrote it for this PC (no notice after an update), and names PCs as named', () => {
    // Jürgen-PC: 'j-rgen-pc' before, 'xn--jrgen-pc-65a' now (shared/host-name.ts)
    expect(
      hostNotice({ host: 'j-rgen-pc', savedOn: 'j-rgen-pc' }, 'xn--jrgen-pc-65a', 'j-rgen-pc'),
    ).toBeNull();
    expect(
      hostNotice({ host: 'xn----ctbcthhyble', savedOn: 'xn----ctbcthhyble' }, 'xn----7sbd2afhylc7e'),
    ).toEqual({
      code: 'HOST_FROM_OTHER_PC',
      message:
        'These settings were saved on the PC named “игровой-пк”; this PC is “рабочий-пк” and uploads as “игровой-пк”',
      advice:
        'If this is another PC, set Settings → Host name to рабочий-пк: two PCs under one name mix their readings in the charts and sessions. If it is the same PC renamed, save the settings once to keep “игровой-пк”.',
    });
  });
});
