"""supervisor 4.2.5's own parse of one config, as the benchmark peer.

Does what supervisord does at start-up before spawning anything: builds the
ServerOptions, reads the config and builds every process group.
"""
import sys

from supervisor.options import ServerOptions


def main(path):
    options = ServerOptions()
    options.configfile = path
    options.process_config(do_usage=False)
    count = sum(len(g.process_configs) for g in options.process_group_configs)
    sys.stdout.write("%d processes\n" % count)


if __name__ == "__main__":
    main(sys.argv[1])
