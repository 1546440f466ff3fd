// What npm start passes to Jupyter: its address last, no extra argument that moves it or touches
// the token; and the refusal for a config that clears the token. scripts/test-jupyter.mjs starts
// the real launcher for each case.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RefusedArgument,
  guardedTrait,
  jupyterArguments,
  tokenRefusal,
} from "./jupyter-launch.mjs";

const base = { app: "notebook", notebooksDir: "/p/notebooks", desktop: false, root: false };

test("the address comes last, after the extra arguments; harmless extras pass", () => {
  const args = jupyterArguments({
    ...base,
    extra: ["--port=9999", "--NotebookApp.port_retries=0"],
  });
  assert.deepEqual(args, [
    "-m",
    "notebook",
    "--notebook-dir=/p/notebooks",
    "--no-browser",
    "--port=9999",
    "--NotebookApp.port_retries=0",
    "--ip=127.0.0.1",
  ]);
  const desktopRoot = jupyterArguments({ ...base, desktop: true, root: true, extra: [] });
  assert.ok(desktopRoot.includes("--allow-root") && !desktopRoot.includes("--no-browser"));
});

test("extra arguments that set the address, token, password or config file are refused", () => {
  for (const arg of [
    "--ip=0.0.0.0",
    "--ip",
    "--NotebookApp.ip=0.0.0.0",
    "--ServerApp.ip=::",
    "--NotebookApp.token=",
    "--ServerApp.token=abc",
    "--IdentityProvider.token=",
    "--NotebookApp.password=x",
    "--PasswordIdentityProvider.hashed_password=x",
    "--NotebookApp.allow_remote_access=True",
    "--ServerApp.allow-remote-access",
    "--config=/tmp/open.py",
    "--NotebookApp.config_file=/tmp/open.py",
  ]) {
    assert.ok(guardedTrait(arg), arg);
    assert.throws(
      () => jupyterArguments({ ...base, extra: ["--port=1", arg] }),
      RefusedArgument,
      arg,
    );
  }
  for (const arg of [
    "--port=9",
    "--ipython",
    "--NotebookApp.iopub_data_rate_limit=1e10",
    "0.0.0.0",
  ])
    assert.equal(guardedTrait(arg), undefined, arg);
  assert.throws(
    () => jupyterArguments({ ...base, extra: ["--ip=0.0.0.0"] }),
    /refused `--ip=0\.0\.0\.0`/,
  );
});

test("a config that clears the token: the refusal names the file, the key and the fix", () => {
  assert.equal(tokenRefusal({ emptyToken: [], password: false }), undefined);
  const message = tokenRefusal({
    emptyToken: [
      { file: "/home/me/.jupyter/jupyter_notebook_config.py", key: "c.NotebookApp.token" },
    ],
    password: false,
  });
  assert.match(message, /^refusing to start Jupyter without a token/);
  assert.match(
    message,
    /\/home\/me\/\.jupyter\/jupyter_notebook_config\.py: sets c\.NotebookApp\.token = ''/,
  );
  assert.match(message, /Delete that setting/);
});
