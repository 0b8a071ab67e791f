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
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
    },
  },
});
