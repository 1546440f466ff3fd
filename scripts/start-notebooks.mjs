#!/usr/bin/env node
// `npm start`: runs scripts/setup-jupyter.sh (Jupyter + the project's tslab kernel), then serves
// notebooks/ with JupyterLab if installed, else the classic Notebook, on 127.0.0.1 only, with
// Jupyter's own token, and prints the URL to open. Extra arguments go to Jupyter:
//
//   npm start -- --port 9999
//
// Kept to the project and to loopback (scripts/lib/jupyter-launch.mjs): Jupyter's runtime files
// (the server's nbserver-*.json with its token, the kernels' connection files) go to
// .jupyter-local/runtime, not ~/.local/share/jupyter; extra arguments that set the address, the
// token or password, or a config file are refused; and a Jupyter config that clears the token
// (scripts/jupyter-auth.py reads it as Jupyter would) stops the launch, naming the file.
//
// The kernel imports the compiled library (dist/); after changing src/, run `npm run build` and
// restart the kernel.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RefusedArgument, jupyterArguments, tokenRefusal } from "./lib/jupyter-launch.mjs";

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
let args;
try {
  args = jupyterArguments({
    app,
    notebooksDir,
    extra: process.argv.slice(2),
    desktop: Boolean(
      process.platform !== "linux" || process.env.DISPLAY || process.env.WAYLAND_DISPLAY,
    ),
    root: process.getuid?.() === 0,
  });
} catch (error) {
  if (!(error instanceof RefusedArgument)) throw error;
  console.error(`start-notebooks: ${error.message}`);
  process.exit(2);
}
const env = {
  ...process.env,
  JUPYTER_PATH: [config.jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(":"),
  // The server's own file (its URL and token) and the kernels' connection files stay here.
  JUPYTER_RUNTIME_DIR: join(root, ".jupyter-local", "runtime"),
  PYDEVD_DISABLE_FILE_VALIDATION: "1", // silences a debugpy warning when Jupyter lists kernels
};

// Jupyter starts without a token, and without a word, if a config file says so: ask first.
const auth = spawnSync(config.python, [join(root, "scripts", "jupyter-auth.py"), app], {
  env,
  encoding: "utf8",
});
if (auth.status !== 0) {
  console.error(`start-notebooks: could not read Jupyter's config:\n${auth.stderr}`);
  process.exit(1);
}
const refusal = tokenRefusal(JSON.parse(auth.stdout));
if (refusal !== undefined) {
  console.error(`start-notebooks: ${refusal}`);
  process.exit(1);
}

console.log(`start-notebooks: ${config.python} ${args.join(" ")}`);
const jupyter = spawn(config.python, args, {
  cwd: notebooksDir,
  env,
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
