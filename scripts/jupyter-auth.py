"""Reports, before `npm start` starts Jupyter, whether Jupyter's own config files clear its token.
Called by scripts/start-notebooks.mjs with the Python that scripts/setup-jupyter.sh chose, in the
environment Jupyter will get (so JUPYTER_CONFIG_DIR and friends count).

Jupyter's own classes load the config, so every file it would read is read, in its order: the
app's (jupyter_notebook_config for the classic Notebook, jupyter_lab_config for JupyterLab), the
shared jupyter_config, and Jupyter Server's jupyter_server_config, each as .json and .py in every
config folder. Each loaded file is then read alone to name the one that sets the token to ''.

Usage: python3 jupyter-auth.py notebook|jupyterlab
Prints one JSON line: {"emptyToken": [{"file", "key"}], "password": bool, "files": [...]}.
"""

import json
import os
import sys

from traitlets.config.application import Application
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

TOKEN_KEYS = [("NotebookApp", "token"), ("ServerApp", "token"), ("IdentityProvider", "token")]
PASSWORD_KEYS = [
    ("NotebookApp", "password"),
    ("ServerApp", "password"),
    ("PasswordIdentityProvider", "hashed_password"),
]


def app_class(name):
    if name == "jupyterlab":
        from jupyterlab.labapp import LabApp

        return LabApp
    try:
        from notebook.notebookapp import NotebookApp  # the classic Notebook (6.x)

        return NotebookApp
    except ImportError:
        from notebook.app import JupyterNotebookApp  # Notebook 7, a Jupyter Server app

        return JupyterNotebookApp


def loaded_files(app):
    """Every config file the app reads, in the order it reads them."""
    app.load_config_file()  # the app's own and jupyter_config, as Jupyter loads them
    # Jupyter Server apps also read the server's config; the classic Notebook never does.
    Application.load_config_file(app, "jupyter_server_config", path=app.config_file_paths)
    return list(dict.fromkeys(app._loaded_config_files))


def read_alone(path):
    folder, name = os.path.split(path)
    loader = (JSONFileConfigLoader if name.endswith(".json") else PyFileConfigLoader)(name, path=folder)
    return loader.load_config()


def is_set(config, section, key):
    return section in config and key in config[section]


def main():
    app = app_class(sys.argv[1] if len(sys.argv) > 1 else "notebook")()
    files = loaded_files(app)
    config = app.config
    empty = []
    for path in files:
        alone = read_alone(path)
        for section, key in TOKEN_KEYS:
            if is_set(alone, section, key) and str(alone[section][key]).strip() == "":
                empty.append({"file": path, "key": f"c.{section}.{key}"})
    # Only files whose empty token survived the merge count (a later file may set one).
    still_empty = any(
        is_set(config, section, key) and str(config[section][key]).strip() == "" for section, key in TOKEN_KEYS
    )
    password = any(is_set(config, section, key) and config[section][key] for section, key in PASSWORD_KEYS)
    print(json.dumps({"emptyToken": empty if still_empty else [], "password": bool(password), "files": files}))


if __name__ == "__main__":
    main()
