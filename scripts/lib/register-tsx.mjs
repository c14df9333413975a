// Lets this process import the server's TypeScript directly. A module runs once per process, so
// every script that imports it shares one registration.
try {
  const { register } = await import('tsx/esm/api')
  register()
} catch {
  process.stderr.write('nhipcau: dependencies are missing: run "npm install" first\n')
  process.exit(1)
}
