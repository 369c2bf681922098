import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 60000,
    // The integration suite starts one real `rembuk serve` per file; keep files serial on
    // a small machine.
    fileParallelism: false,
  },
});
