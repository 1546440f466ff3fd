#!/usr/bin/env node
// `npm start`: runs scripts/setup-jupyter.sh (Jupyter + the project's tslab kernel), then serves
// notebooks/ with JupyterLab if installed, else the classic Notebook, on 127.0.0.1 only, with
// Jupyter's own token, and prints the URL to open. Extra arguments go to Jupyter:
//
//   npm start -- --port 9999
//
// The kernel imports the compiled library (dist/); after changing src/, run `npm run build` and
// restart the kernel.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const notebooksDir = join(root, "notebooks");

const setup = spawnSync("bash", [join(root, "scripts", "setup-jupyter.sh")], { stdio: "inherit" });
if (setup.status !== 0) {
  console.error("start-notebooks: Jupyter setup failed (see above)");
  process.exit(1);
}
const config = JSON.parse(readFileSync(join(root, ".jupyter-local", "setup.json"), "utf8"));
if (!existsSync(join(root, "dist", "index.js"))) {
  console.warn(
    "start-notebooks: dist/index.js is missing: run `npm run build` so notebooks can import lenet5",
  );
}

const app = config.frontend === "lab" ? "jupyterlab" : "notebook";
const args = ["-m", app, "--ip=127.0.0.1", `--notebook-dir=${notebooksDir}`];
// Opening a browser only makes sense on a desktop; on a server Python may pick a text browser.
const desktop = process.platform !== "linux" || process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
if (!desktop) args.push("--no-browser");
if (process.getuid?.() === 0) args.push("--allow-root"); // Jupyter refuses root without it
args.push(...process.argv.slice(2));

console.log(`start-notebooks: ${config.python} ${args.join(" ")}`);
const jupyter = spawn(config.python, args, {
  cwd: notebooksDir,
  env: {
    ...process.env,
    JUPYTER_PATH: [config.jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(":"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1", // silences a debugpy warning when Jupyter lists kernels
  },
  stdio: ["inherit", "pipe", "pipe"],
});

let announced = false;
function relay(stream, target) {
  let pending = "";
  stream.on("data", (chunk) => {
    target.write(chunk);
    if (announced) return;
    pending += chunk;
    const url = pending.match(/http:\/\/127\.0\.0\.1:\d+\/\S*\?token=\S+/)?.[0];
    if (url) {
      announced = true;
      console.log(
        `\nstart-notebooks: Jupyter (${app === "jupyterlab" ? "JupyterLab" : "Notebook"}) serves notebooks/ at\n\n    ${url}\n\n` +
          "start-notebooks: pick the TypeScript kernel (tslab); stop with Ctrl+C twice.\n",
      );
    }
  });
}
relay(jupyter.stdout, process.stdout);
relay(jupyter.stderr, process.stderr);

// Ctrl+C reaches Jupyter directly (same process group); Jupyter decides when to stop.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => jupyter.kill("SIGTERM"));
jupyter.on("close", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
