// Pyodide (CPython 3.14 on WebAssembly) as an oracle: loads Pyodide once, then runs many
// generated case programs, one per JSON line on stdin, each with fresh globals, sys's hooks
// as they were at start and an empty atexit registry, answering one JSON line per program
// on stdout:
//   {"output": merged stdout+stderr, "events": event log, "applicable": bool, "reason": text}
// Pyodide cannot end a process, so a program that ends by an exception (SystemExit
// included) or leaves handlers for the interpreter's shutdown is not applicable.
import { loadPyodide } from "pyodide";
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";

const py = await loadPyodide();
let output = [];
const sink = { write: (bytes) => { output.push(Buffer.from(bytes)); return bytes.length; } };
py.setStdout(sink);
py.setStderr(sink);
// Pyodide registers a handler of its own at start-up: every program starts from none.
const prepare = `
import atexit, os, sys
atexit._clear()
sys.unraisablehook = sys.__unraisablehook__
sys.excepthook = sys.__excepthook__
_atx_events_fd = os.open("/tmp/atx-events", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
sys.argv = ["program.py", str(_atx_events_fd)]
`;
const finish = `
import atexit, os
os.close(_atx_events_fd)
atexit._ncallbacks()
`;

function answer(object) {
  process.stdout.write(JSON.stringify(object) + "\n");
}

const lines = createInterface({ input: process.stdin });
answer({ ready: py.runPython("import sys; sys.version.split()[0]") });
for await (const line of lines) {
  const request = JSON.parse(line);
  output = [];
  const globals = py.toPy({ __name__: "__main__" });
  const helpers = py.toPy({});
  let applicable = true;
  let reason = "";
  try {
    py.runPython(prepare, { globals: helpers });
    py.runPython(readFileSync(request.program, "utf8"), { globals, filename: request.program });
  } catch (error) {
    applicable = false;
    reason = "the program ends by an exception (" + String(error.type || error.name) +
      "): that needs a real process end, which Pyodide cannot give";
  }
  const left = py.runPython(finish, { globals: helpers });
  if (applicable && left > 0) {
    applicable = false;
    reason = "handlers are left for the interpreter's shutdown, which Pyodide never runs";
  }
  const events = py.FS.readFile("/tmp/atx-events", { encoding: "utf8" });
  globals.destroy();
  helpers.destroy();
  py.runPython("import atexit; atexit._clear()");
  answer({ output: Buffer.concat(output).toString("utf8"), events, applicable, reason });
}
