"""Python's xmlrpc.client as an oracle for supctl's XML-RPC codec.

One JSON request per stdin line, one JSON answer per stdout line. Values
cross as tagged JSON: {"t": "int"|"double"|"str"|"bool"|"nil"|"b64"|"dt"|
"arr"|"struct", "v": ...}; doubles as repr() text, structs as [key, value]
pairs.

  {"op": "load", "xml": X}          -> loads(X, use_builtin_types=True)
  {"op": "dump", "kind": "call"|"response"|"fault", ...}
                                    -> {"xml": dumps(...), "reload": loads(that)}
Errors come back as {"error": "TypeName: text"}.
"""
import base64
import datetime
import json
import sys
import xmlrpc.client as x

FMT = "%Y%m%dT%H:%M:%S"


def tag(v):
    if v is None:
        return {"t": "nil"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "double", "v": repr(v)}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, (bytes, bytearray)):
        return {"t": "b64", "v": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, datetime.datetime):
        return {"t": "dt", "v": "%04d%02d%02dT%02d:%02d:%02d" % (v.year, v.month, v.day, v.hour, v.minute, v.second)}
    if isinstance(v, (list, tuple)):
        return {"t": "arr", "v": [tag(i) for i in v]}
    if isinstance(v, dict):
        return {"t": "struct", "v": [[k, tag(i)] for k, i in v.items()]}
    raise TypeError("cannot tag %r" % type(v))


def untag(t):
    k = t["t"]
    if k == "nil":
        return None
    if k == "bool":
        return t["v"]
    if k == "int":
        return int(t["v"])
    if k == "double":
        return float(t["v"])
    if k == "str":
        return t["v"]
    if k == "b64":
        return base64.b64decode(t["v"])
    if k == "dt":
        return datetime.datetime.strptime(t["v"], FMT)
    if k == "arr":
        return [untag(i) for i in t["v"]]
    if k == "struct":
        return {key: untag(i) for key, i in t["v"]}
    raise TypeError("unknown tag %r" % k)


def load(xml):
    try:
        params, method = x.loads(xml, use_builtin_types=True)
        return {"params": [tag(p) for p in params], "method": method}
    except x.Fault as f:
        return {"fault": {"code": f.faultCode, "string": f.faultString}}


def handle(req):
    if req["op"] == "load":
        return load(req["xml"])
    kind = req["kind"]
    if kind == "call":
        xml = x.dumps(tuple(untag(p) for p in req["params"]), methodname=req["method"], allow_none=True)
    elif kind == "response":
        xml = x.dumps((untag(req["value"]),), methodresponse=True, allow_none=True)
    else:
        xml = x.dumps(x.Fault(int(req["code"]), req["string"]), allow_none=True)
    return {"xml": xml, "reload": load(xml)}


for line in sys.stdin:
    try:
        out = handle(json.loads(line))
    except Exception as e:  # the oracle reports, the test decides
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
