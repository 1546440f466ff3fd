// What `npm start` (scripts/start-notebooks.mjs) hands to Jupyter, and what it refuses: the
// server listens on 127.0.0.1 only and with a token, whatever extra arguments say. Extra
// arguments that would change the address, the authentication or the config file are refused
// (traitlets takes the last value of a repeated option, and a config file can clear the token);
// the launcher's own address also comes last, so no spelling this list misses can move it.
// Pure functions only: the launcher spawns Jupyter and asks scripts/jupyter-auth.py about its
// config files.

/** Traits an extra argument may not set, with or without a class prefix (NotebookApp., …). */
const GUARDED = [
  "ip",
  "token",
  "password",
  "hashed_password",
  "allow_remote_access",
  "config",
  "config_file",
];

/** Thrown for an extra argument the launcher will not pass to Jupyter. */
export class RefusedArgument extends Error {
  name = "RefusedArgument";
}

/** The guarded trait an argument sets (`--ip=…`, `--ServerApp.token …`), or undefined. */
export function guardedTrait(arg) {
  const match = /^--(?:[A-Za-z]+\.)?([A-Za-z_-]+)(?:=|$)/.exec(arg);
  const trait = match?.[1].replace(/-/g, "_");
  return trait !== undefined && GUARDED.includes(trait) ? trait : undefined;
}

/**
 * The arguments after `python`: `-m app`, the notebooks folder, the extra arguments, then the
 * address; throws RefusedArgument for an extra argument that sets a guarded trait.
 * @param options { app: "notebook" | "jupyterlab", notebooksDir, extra: string[],
 *   desktop: boolean (open a browser), root: boolean (running as root) }
 */
export function jupyterArguments({ app, notebooksDir, extra, desktop, root }) {
  for (const arg of extra) {
    const trait = guardedTrait(arg);
    if (trait === undefined) continue;
    throw new RefusedArgument(
      `refused \`${arg}\`: npm start serves the notebooks on 127.0.0.1 only, with Jupyter's ` +
        `token, so it does not pass on arguments that set "${trait}". To serve them otherwise, ` +
        "run Jupyter yourself (JUPYTER_PATH=.jupyter-local/share/jupyter finds the kernel).",
    );
  }
  return [
    "-m",
    app,
    `--notebook-dir=${notebooksDir}`,
    // Opening a browser only makes sense on a desktop; on a server Python may pick a text browser.
    ...(desktop ? [] : ["--no-browser"]),
    ...(root ? ["--allow-root"] : []), // Jupyter refuses root without it
    ...extra,
    "--ip=127.0.0.1", // last: a repeated option takes its last value
  ];
}

/**
 * The refusal for a config that clears Jupyter's token (what scripts/jupyter-auth.py found),
 * naming the file and how to fix it; undefined when the token is left alone.
 * @param auth { emptyToken: [{ file, key }], password: boolean }
 */
export function tokenRefusal(auth) {
  if (auth.emptyToken.length === 0) return undefined;
  const where = auth.emptyToken.map(({ file, key }) => `  ${file}: sets ${key} = ''`).join("\n");
  return [
    "refusing to start Jupyter without a token: anyone who can reach 127.0.0.1 on this machine",
    "(every local user and program) could run code as you through it.",
    "Your Jupyter config disables the token:",
    where,
    "Delete that setting (Jupyter then makes a fresh token each start), or set a token of your own",
    "there, e.g. c.NotebookApp.token = 'a-long-random-string'; then run npm start again.",
  ].join("\n");
}
