// Preloaded into every node.exe the harness starts (`node.exe -r report-pid.cjs …`): writes the Windows process
// id to GPUZ_TEST_PID_FILE, so the harness can end that one process with `taskkill /F /PID` as Windows does.
const file = process.env.GPUZ_TEST_PID_FILE;
if (file) require('node:fs').writeFileSync(file, String(process.pid));
