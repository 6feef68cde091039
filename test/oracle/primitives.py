#!/usr/bin/python3
"""Oracle for supctl's low-level reader primitives.

Reads JSON lines {"fn": NAME, "args": [...]} on stdin and writes one JSON
line per request: {"ok": value} or {"err": message, "type": ExceptionName,
...}. Everything is computed by the real Python 3.11 stdlib and the installed
supervisor 4.2.5 package; nothing here re-implements their rules.
"""

import configparser
import io
import json
import shlex
import sys

sys.path.insert(0, '/usr/lib/python3/dist-packages')

from supervisor import datatypes  # noqa: E402
from supervisor import options  # noqa: E402


def _ini(texts):
    """Read each text as supervisor reads a config file (open() in a UTF-8
    locale: universal newlines, BOM kept) into one UnhosedConfigParser."""
    parser = options.UnhosedConfigParser()
    first_file = {}
    for index, text in enumerate(texts):
        before = set(parser._sections)
        raw = io.BytesIO(text.encode('utf-8', 'surrogatepass'))
        fp = io.TextIOWrapper(raw, encoding='utf-8')
        try:
            parser.read_file(fp, source='f%d' % index)
        except configparser.MissingSectionHeaderError as e:
            return {'err': str(e), 'type': type(e).__name__, 'lineno': e.lineno, 'file': index}
        except configparser.ParsingError as e:
            return {
                'err': str(e),
                'type': type(e).__name__,
                'lineno': e.errors[0][0],
                'file': index,
            }
        for name in set(parser._sections) - before:
            first_file[name] = index
    sections = [[name, [[k, v] for k, v in parser._sections[name].items()], first_file[name]]
                for name in parser.sections()]
    defaults = [[k, v] for k, v in parser._defaults.items()]
    lookups = {}
    for name in parser.sections():
        lookups[name] = [[k, parser.get(name, k)] for k in parser.options(name)]
    return {'ok': {'sections': sections, 'defaults': defaults, 'items': lookups}}


def _kv_pairs(s):
    return [[k, v] for k, v in datatypes.dict_of_key_value_pairs(s).items()]


def _format(s, mapping):
    try:
        return {'ok': s % mapping}
    except KeyError as e:
        return {'err': str(e), 'type': 'KeyError', 'missing': e.args[0]}


def _signal_number(s):
    num = datatypes.signal_number(s)
    return [int(num), options.signame(num)]


def _auto_restart(s):
    v = datatypes.auto_restart(s)
    if v is datatypes.RestartUnconditionally:
        return 'true'
    if v is datatypes.RestartWhenExitUnexpected:
        return 'unexpected'
    return 'false'


def _logging_level(s):
    v = datatypes.logging_level(s)
    return v if isinstance(v, int) else None


def _logfile_name(s):
    # existing_dirpath looks at the machine: the reader must not, so the
    # oracle answers with the path itself.
    saved = datatypes.existing_dirpath
    datatypes.existing_dirpath = lambda v: v
    try:
        v = datatypes.logfile_name(s)
    finally:
        datatypes.existing_dirpath = saved
    if v is datatypes.Automatic:
        return {'kind': 'auto'}
    if v is datatypes.Syslog:
        return {'kind': 'syslog'}
    if v is None:
        return {'kind': 'none'}
    return {'kind': 'path', 'path': v}


def _user_group(s):
    saved = datatypes.name_to_uid, datatypes.name_to_gid
    datatypes.name_to_uid = lambda n: n
    datatypes.name_to_gid = lambda n: n
    try:
        user, group = datatypes.colon_separated_user_group(s)
    finally:
        datatypes.name_to_uid, datatypes.name_to_gid = saved
    return [user, None if group == -1 else group]


def _fcgi_socket(s, owner, mode):
    opts = options.ServerOptions()
    cfg = opts.parse_fcgi_socket(s, None, owner, mode, None)
    if isinstance(cfg, datatypes.UnixStreamSocketConfig):
        return {'kind': 'unix', 'path': cfg.path, 'url': cfg.url}
    return {'kind': 'tcp', 'host': cfg.host, 'port': cfg.port, 'url': cfg.url}


def _inet_address(s):
    host, port = datatypes.inet_address(s)
    return [host, port]


FNS = {
    'shlex_split': lambda s: shlex.split(s),
    'kv_pairs': _kv_pairs,
    'boolean': datatypes.boolean,
    'integer': datatypes.integer,
    'byte_size': datatypes.byte_size,
    'signal_number': _signal_number,
    'octal_type': datatypes.octal_type,
    'list_of_exitcodes': datatypes.list_of_exitcodes,
    'auto_restart': _auto_restart,
    'logging_level': _logging_level,
    'logfile_name': _logfile_name,
    'process_or_group_name': datatypes.process_or_group_name,
    'url': datatypes.url,
    'inet_address': _inet_address,
    'fcgi_socket': _fcgi_socket,
    'colon_separated_user_group': _user_group,
    'list_of_strings': datatypes.list_of_strings,
    'repr': repr,
    'lower': str.lower,
    'upper': str.upper,
    'ascii': ascii,
    'int': lambda s, base=10: str(int(s, base)),
}


def answer(request):
    fn = request['fn']
    args = request.get('args', [])
    if fn == 'ini':
        return _ini(args[0])
    if fn == 'format':
        try:
            return _format(args[0], args[1])
        except Exception as e:  # noqa: BLE001 - we report every failure kind
            return {'err': str(e), 'type': type(e).__name__}
    try:
        value = FNS[fn](*args)
    except Exception as e:  # noqa: BLE001
        return {'err': str(e), 'type': type(e).__name__}
    if isinstance(value, int) and not isinstance(value, bool):
        # JSON numbers lose precision beyond 2**53: send big ints as text.
        if abs(value) > 2**53:
            return {'ok': str(value), 'bigint': True}
    return {'ok': value}


def main():
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='\n')
    out = sys.stdout
    for line in stdin:
        line = line.strip()
        if not line:
            continue
        out.write(json.dumps(answer(json.loads(line))) + '\n')
    out.flush()


if __name__ == '__main__':
    main()
