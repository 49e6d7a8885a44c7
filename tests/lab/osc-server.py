#!/usr/bin/python3
"""The openstack CLI, started once and run many times (the tests' oracle, without a Python start per check).

tests/lab/osc-shim/openstack (a native command, ahead of the real one on the tests' PATH) sends each
command on a Unix socket as one JSON line:
    {"argv": ["--os-cloud", "vdcps-lab", "project", "show", "x", "-f", "json"], "env": {"OS_...": "..."}}
and this server answers one JSON line:
    {"rc": 0, "out": "...", "err": "..."}

Each request runs `openstackclient.shell.main(argv)`, exactly what the `openstack` command runs, with a
fresh OpenStackShell (and so fresh clients, session and token) each time; only the interpreter and its
imported modules are kept, which is where a command's 1.5-2 s of CPU goes. The request's OS_* variables
replace the process's for that run, as a new process would inherit them. It ends when the test
process that started it (--parent) has ended.
"""
import argparse
import copy
import io
import json
import logging
import os
import socket
import sys
import types


def forget_clients():
    """Drops the API clients an earlier command made.

    osc-lib keeps each API's client in a ClientCache descriptor on the ClientManager class, not on the
    instance: in one process a second command would get the first one's client (its token, project and
    microversion). A process per command never sees this; here every command starts without them.
    """
    from osc_lib import clientmanager as base
    from openstackclient.common import clientmanager
    for cls in clientmanager.ClientManager.__mro__:
        for value in vars(cls).values():
            if isinstance(value, base.ClientCache):
                value._handle = None
    # The plugins' client modules keep state in module globals (the microversion each command asked for;
    # the volume plugin deletes entries from its API_VERSIONS while it makes its client): every command
    # starts from their values as imported.
    for module, values in _PLUGIN_GLOBALS:
        for attribute, value in values.items():
            setattr(module, attribute, copy.deepcopy(value))


_PLUGIN_GLOBALS = []


def remember_plugin_globals():
    """The data globals (not modules, classes or functions) of every client plugin module, as imported."""
    from openstackclient.common import clientmanager
    for module in clientmanager.PLUGIN_MODULES:
        values = {}
        for attribute, value in vars(module).items():
            if attribute.startswith("__") or isinstance(value, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)):
                continue
            if isinstance(value, (dict, list, set, tuple, str, int, float, bool, type(None))):
                values[attribute] = copy.deepcopy(value)
        _PLUGIN_GLOBALS.append((module, values))


def run(request):
    argv = request["argv"]
    env = request.get("env") or {}
    saved_env = {k: v for k, v in os.environ.items() if k.startswith("OS_")}
    for k in saved_env:
        del os.environ[k]
    os.environ.update({k: v for k, v in env.items() if k.startswith("OS_")})

    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    err_text = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    stdin_text = io.StringIO()  # an empty standard input: the shim sends none (the interactive shell runs as a process)
    real = sys.stdin, sys.stdout, sys.stderr
    root = logging.getLogger()
    handlers = list(root.handlers)
    level = root.level
    sys.stdin, sys.stdout, sys.stderr = stdin_text, out_text, err_text
    try:
        from openstackclient import shell
        forget_clients()
        rc = shell.main(argv)
    except SystemExit as e:  # argparse and friends exit
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:  # noqa: B902 - anything the CLI lets escape is a failed command, as in a process
        print("%s: %s" % (type(e).__name__, e), file=err_text)
        rc = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = real
        # the shell configures logging on every run: take back what it added
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
        for k in [k for k in os.environ if k.startswith("OS_")]:
            del os.environ[k]
        os.environ.update(saved_env)
    out_text.flush()
    err_text.flush()
    return {"rc": int(rc or 0), "out": out.getvalue().decode("utf-8", "replace"), "err": err.getvalue().decode("utf-8", "replace")}


def serve(path, parent):
    """Answers requests on a Unix socket (one JSON line in, one out per connection) while `parent` lives."""
    sys.argv[0] = "openstack"  # the CLI names itself after its program in messages
    # the imports a command needs, once
    from openstackclient import shell  # noqa: F401
    remember_plugin_globals()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = path + ".%d" % os.getpid()
    listener.bind(temporary)
    os.rename(temporary, path)  # appears only once it listens
    listener.listen(8)
    listener.settimeout(1.0)
    try:
        while True:
            try:
                os.kill(parent, 0)
            except OSError:
                return  # the test process is gone
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                continue
            with connection:
                connection.settimeout(None)
                data = b""
                while not data.endswith(b"\n"):
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                try:
                    answer = run(json.loads(data.decode("utf-8")))
                except Exception as e:  # a broken request is an answer too, never a dead oracle
                    answer = {"rc": 1, "out": "", "err": "osc-server: %s: %s" % (type(e).__name__, e)}
                try:
                    connection.sendall((json.dumps(answer) + "\n").encode("utf-8"))
                except OSError:
                    pass  # the caller was interrupted
    finally:
        for leftover in (path, path + ".lock"):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def main():
    parser = argparse.ArgumentParser(description="The openstack CLI for the tests, started once per test process.")
    parser.add_argument("--socket", required=True, help="the Unix socket to answer on")
    parser.add_argument("--parent", type=int, required=True, help="the process whose end ends this server")
    options = parser.parse_args()
    serve(options.socket, options.parent)


if __name__ == "__main__":
    main()
