import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = path.dirname(fileURLToPath(import.meta.url));

// The admin center is a static single-page app: the server serves web/dist at `/`,
// and in development Vite proxies the API to a Seatkeeper on port 3000.
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: path.join(root, "dist"),
    emptyOutDir: true,
    // Source maps would publish the admin center's sources from production servers.
    sourcemap: false,
    // One bundle of about 520 kB (160 kB gzipped: React, uPlot, the table and the pages),
    // loaded once from the admin's own server; splitting it would not make a page appear sooner.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
    },
  },
});
