// Who may do what (docs/commands.md, "Roles"), to enable only the actions the server would
// accept. The server stays the judge: this only avoids offering what would be refused.
import type { MasterplanState, Program, Role } from '@rembuk/client';

export interface Actor {
  user: string;
  roles: Role[];
  opd?: string;
}

/** Token roles ∪ the role the masterplan's member list gives the user. */
export function effectiveRoles(actor: Actor, state: MasterplanState | null): { roles: Set<string>; opd?: string } {
  const roles = new Set<string>(actor.roles);
  let opd = actor.opd;
  const member = state?.members.find((m) => m.userId === actor.user);
  if (member) {
    roles.add(member.role);
    if (member.role === 'opd_editor' && member.opdId) opd = member.opdId;
  }
  return { roles, opd };
}

export class Permissions {
  readonly roles: Set<string>;
  readonly opd?: string;
  readonly user?: string;
  private readonly locked: boolean;

  constructor(actor: Actor | null, state: MasterplanState | null) {
    const effective = actor ? effectiveRoles(actor, state) : { roles: new Set<string>() };
    this.user = actor?.user;
    this.roles = effective.roles;
    this.opd = effective.opd;
    this.locked = state?.status === 'approved';
  }

  private any(...roles: string[]): boolean {
    return roles.some((r) => this.roles.has(r));
  }

  get editsAll(): boolean {
    return !this.locked && this.any('tim_pelaksana', 'admin');
  }

  get readOnly(): boolean {
    return !this.editsAll && !(this.any('opd_editor') && !this.locked);
  }

  canEditProgram(program: Pick<Program, 'leadOpd'>): boolean {
    if (this.editsAll) return true;
    return !this.locked && this.any('opd_editor') && this.opd !== undefined && program.leadOpd === this.opd;
  }

  get canAddProgram(): boolean {
    return this.editsAll || (!this.locked && this.any('opd_editor') && this.opd !== undefined);
  }

  get canChangeLead(): boolean {
    return this.editsAll;
  }

  get canEditMasterplan(): boolean {
    return this.editsAll;
  }

  /** OPDs: register, rename, retire, reinstate (TP, A). */
  get canManageOpds(): boolean {
    return this.editsAll;
  }

  /** Members: add, change role, remove (TP, A). */
  get canManageMembers(): boolean {
    return this.editsAll;
  }

  /** Invitations: make, list, withdraw (TP of this masterplan, A), whatever the status. */
  get canInvite(): boolean {
    return this.any('tim_pelaksana', 'admin');
  }

  /** Accounts: disable, enable (A). */
  get canManageAccounts(): boolean {
    return this.any('admin');
  }

  /** Every role but viewer may comment, in every status (approved included). */
  get canComment(): boolean {
    return this.any('opd_editor', 'tim_pelaksana', 'dewan', 'reviewer', 'admin');
  }

  /** The comment's author, TP, reviewers and admins resolve a comment. */
  canResolve(comment: { author: string }): boolean {
    return comment.author === this.user || this.any('tim_pelaksana', 'reviewer', 'admin');
  }

  /** Undo of one's own edit: whoever may edit at all (the server checks the rest). */
  get canUndo(): boolean {
    return this.any('opd_editor', 'tim_pelaksana', 'dewan', 'reviewer', 'admin');
  }

  get canSubmit(): boolean {
    return this.any('tim_pelaksana', 'admin');
  }

  get canStartReview(): boolean {
    return this.any('reviewer', 'admin');
  }

  get canApprove(): boolean {
    return this.any('dewan');
  }

  get canReopen(): boolean {
    return this.any('tim_pelaksana', 'dewan', 'admin');
  }
}
