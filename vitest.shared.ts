import type { ViteUserConfig } from "vitest/config"

// Settings every package's vitest config merges in.
const config: ViteUserConfig = {
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    fakeTimers: { toFake: undefined },
    sequence: { concurrent: true },
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
}

export default config
