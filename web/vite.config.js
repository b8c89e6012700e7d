// Builds the explorer into dist/ with fixed file names, so the kgq binary
// can embed dist/index.html, dist/assets/app.js and dist/assets/app.css.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    cssCodeSplit: false,
    modulePreload: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/app.js',
        chunkFileNames: 'assets/app-[name].js',
        assetFileNames: 'assets/app.[ext]',
        codeSplitting: false,
      },
    },
  },
});
