/** What a key-table row sees and writes for one service unit file. */
import type { Deployment } from '../../model/deployment.ts';
import type { Group } from '../../model/group.ts';
import type { Process } from '../../model/process.ts';
import type { ExecutableCheck } from './command.ts';
import type { Directive } from './findings.ts';

/** How a program's processes became unit files. */
export type Layout =
  /** One process, one PROJECT-PROGRAM.service. */
  | 'single'
  /** numprocs > 1 as one PROJECT-PROGRAM@.service and its instances. */
  | 'template'
  /** numprocs > 1 not expressible as one template: one file per instance. */
  | 'instances';

export interface ServiceContext {
  d: Deployment;
  g: Group;
  /** The process; for a template, one whose strings hold INSTANCE markers. */
  p: Process;
  scope: 'system' | 'user';
  inlineEnv: boolean;
  /** See SystemdOptions.autoLogDir. */
  autoLogDir: string | undefined;
  isExecutable: ExecutableCheck;
  /** Was the key written in the program's section? */
  written(key: string): boolean;
  layout: Layout;
  /** This unit file. */
  file: string;
  /** Every unit the program runs (instances of a template). */
  units: string[];
  /** Each process's instance string (Process.instance), in the order of `units`. */
  instances: string[];
  /** The target whose start pulls this unit in and whose stop stops it. */
  partOf: string;
  /** Some other unit is ordered before or after this one (priority). */
  ordered: boolean;
  /** The program's socket unit, when [fcgi-program:x] has a usable socket URL. */
  socketFile: string | null;
  /** [Unit] directives the rows add after Description/PartOf/ordering/socket wiring. */
  unit: Directive[];
  /** [Service] directives; written in SERVICE_ORDER whatever the row order. */
  service: Directive[];
  /** The socket unit's [Socket] directives, when this file writes the socket unit. */
  socket: Directive[] | null;
}
