#!/usr/bin/env bash
# How many times the repeated ideas of issue 14 ("the house") are written out in src/: run before and after a change.
set -uo pipefail
cd "$(dirname "$0")/.."
count() { printf '%-58s %s\n' "$1" "$2"; }
files() { git grep -l -E "$1" -- src | wc -l; }
hits() { git grep -h -o -E "$1" -- ${2:-src} | wc -l; }
count "modules that write SPARQL PREFIX lines" "$(files 'PREFIX [a-z]+: *<')"
count "modules that name the roles (openingRemarks)" "$(files 'openingRemarks')"
count "modules that name the sides (sideUS / \"U.S.\")" "$(files 'sideUS|\"U\.S\."')"
count "modules that name the sectors (stateOwnedEnterprise)" "$(files 'stateOwnedEnterprise')"
count "modules that name attendance modes" "$(files 'EventAttendanceMode')"
count "modules that match the edition class in SPARQL" "$(files 'a sg:Edition|a conf:Workshop|sg:Edition[ }.]')"
count "current_app look-ups in web/" "$(hits 'current_app\.' src/spacegraph/web)"
count "embedded-or-server branches (remote ...)" "$(hits '\.remote\b|remote is None|remote is not None|if remote\b')"
count "content negotiation calls in web/ (accept_mimetypes)" "$(hits 'accept_mimetypes' src/spacegraph/web)"
count "modules that resolve names (def resolve...)" "$(files 'def resolve')"
count "writer lock taken (writer_lock()" "$(hits 'writer_lock\(')"
.venv/bin/python - <<'PY'
import ast, pathlib
modules, functions = [], []
for path in sorted(pathlib.Path("src/spacegraph").rglob("*.py")):
    text = path.read_text()
    modules.append((len(text.splitlines()), str(path)))
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append((node.end_lineno - node.lineno + 1, f"{path}:{node.name}"))
print(f"{'largest module (lines)':58} {max(modules)[0]} {max(modules)[1]}")
print(f"{'modules over 400 lines':58} {sum(n > 400 for n, _ in modules)}")
print(f"{'largest function (lines)':58} {max(functions)[0]} {max(functions)[1]}")
print(f"{'functions over 60 lines':58} {sum(n > 60 for n, _ in functions)}")
PY
