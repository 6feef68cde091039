"""supervisor 4.2.5's own config parser as a batch oracle for supctl's reader.

Reads JSON lines on stdin, one config each:
    {"file": "/abs/path.conf", "env": {"K": "v"}, "host": "node1"}
and writes one JSON line per config, in order: the `supctl parse --json`
shape (shared/reference/parse-json.md) or {"error": "<message>"}.

Each config runs through ServerOptions.process_config(do_usage=False), i.e.
read_config + process_groups_from_parser, with os.environ = env and
platform.node() = host. The checks that depend on the machine rather than on
the text are neutralized: user/group lookups (the name is kept as written),
"directory exists" checks, and importing result_handler / rpcinterface
factories (their entry-point syntax is still checked, as supervisor does).
A file without a [supervisord] section is a fragment: it is read through a
main config holding an empty [supervisord] and `[include] files = <file>`.

Run with /usr/bin/python3 (Debian's supervisor package) and PYTHONUTF8=1.
"""
import glob
import io
import json
import os
import platform
import shlex
import sys
import tempfile

import pkg_resources
from supervisor import datatypes, events, options
from supervisor.datatypes import Automatic, RestartUnconditionally, RestartWhenExitUnexpected


def _keep_name(name):
    return name


def _expanduser(path):
    return os.path.expanduser(path)


def _parse_spec_only(self, spec):
    pkg_resources.EntryPoint.parse('x=' + spec)  # syntax only, no import
    return spec


for _mod in (datatypes, options):
    _mod.name_to_uid = _keep_name
    _mod.existing_directory = _expanduser
    _mod.existing_dirpath = _expanduser
datatypes.name_to_gid = _keep_name
options.gid_for_uid = lambda uid: -1
options.ServerOptions.import_spec = _parse_spec_only
tempfile.tempdir = tempfile.gettempdir()  # probed once, before os.environ is replaced


class _Wrapper(io.StringIO):
    """The main config that includes a fragment (a file object with a name)."""

    def __init__(self, fragment):
        pattern = glob.escape(fragment).replace('%', '%%')
        io.StringIO.__init__(self, '[supervisord]\n[include]\nfiles = %s\n' % pattern)
        self.name = os.path.join(os.path.dirname(fragment), '.supctl-wrapper.conf')


def _is_fragment(path):
    parser = options.UnhosedConfigParser()
    try:
        with open(path) as f:
            parser.read_file(f)
    except Exception:
        return False  # let supervisor itself report the problem
    return 'supervisord' not in parser.sections()


def _signame(num):
    # supervisor's own naming (its logs say "terminated by SIGPOLL"; 0 is "signal 0")
    name = options.signame(num)
    return name[3:] if name.startswith('SIG') else name


def _logfile(value):
    if value is Automatic:
        return 'AUTO'
    return value


def _argv(command):
    try:
        return shlex.split(command)
    except ValueError:
        return None  # supervisor accepts it; spawning it fails (BadCommand)


def _process(p):
    autorestart = {RestartUnconditionally: 'true', RestartWhenExitUnexpected: 'unexpected'}
    out = {
        'name': p.name,
        'command': p.command,
        'argv': _argv(p.command),
        'directory': p.directory,
        'umask': p.umask,
        'priority': p.priority,
        'autostart': p.autostart,
        'autorestart': autorestart.get(p.autorestart, 'false'),
        'exitcodes': p.exitcodes,
        'startsecs': p.startsecs,
        'startretries': p.startretries,
        'stopwaitsecs': p.stopwaitsecs,
        'stopsignal': _signame(p.stopsignal),
        'stopasgroup': p.stopasgroup,
        'killasgroup': p.killasgroup,
        'user': p.uid,  # name_to_uid is neutralized: the name as written
        'redirect_stderr': p.redirect_stderr,
        'environment': p.environment,
        'serverurl': 'AUTO' if p.serverurl is None else p.serverurl,
    }
    for ch in ('stdout', 'stderr'):
        out[ch + '_logfile'] = _logfile(getattr(p, ch + '_logfile'))
        for key in ('logfile_maxbytes', 'logfile_backups', 'capture_maxbytes',
                    'events_enabled', 'syslog'):
            out['%s_%s' % (ch, key)] = getattr(p, '%s_%s' % (ch, key))
    return out


def _group(g):
    out = {'name': g.name, 'priority': g.priority}
    if isinstance(g, options.FastCGIGroupConfig):
        out['type'] = 'fcgi-program'
        out['socket'] = g.socket_config.url
    elif isinstance(g, options.EventListenerPoolConfig):
        out['type'] = 'eventlistener'
        out['events'] = sorted(events.getEventNameByType(e) for e in g.pool_events)
        out['buffer_size'] = g.buffer_size
        out['result_handler'] = g.result_handler
    else:
        out['type'] = 'program'
    out['processes'] = [_process(p) for p in g.process_configs]
    return out


def parse(path, env, host):
    os.environ.clear()
    os.environ.update(env)
    platform.node = lambda: host
    opts = options.ServerOptions()
    path = os.path.abspath(path)
    if _is_fragment(path):
        opts.configfile = _Wrapper(path)
        opts.here = os.path.dirname(path)
    else:
        opts.configfile = path
    try:
        opts.process_config(do_usage=False)
    except ValueError as e:
        return {'error': str(e)}
    except Exception as e:  # supervisord would die with a traceback: a rejection too
        return {'error': '%s: %s' % (type(e).__name__, e)}
    groups = sorted(opts.process_group_configs, key=lambda g: g.name)
    return {'groups': [_group(g) for g in groups]}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        result = parse(req['file'], req.get('env') or {}, req.get('host', 'localhost'))
        sys.stdout.write(json.dumps(result) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
