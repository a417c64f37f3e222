// The frontend.targets subrequest as data: every stage of the file with its doc comment, as
// BuildKit v0.13.2's ListTargets reports it (dockerfile2llb/convert.go). Only the parse is
// needed: names and bases are shown as written, nothing is expanded or resolved.
import type { SourceRange } from '../core/source.js';
import { docComment, type InstructionComments } from '../dockerfile/comments.js';
import type { Dockerfile } from '../dockerfile/instructions.js';

export interface BuildTarget {
  /** lowercased `AS` name; '' for an unnamed stage */
  readonly name: string;
  /** the last stage, which a build without --target builds */
  readonly isDefault: boolean;
  readonly description: string;
  /** the FROM image or stage, unexpanded */
  readonly base: string;
  /** `FROM --platform`, unexpanded; '' when not given */
  readonly platform: string;
  /** the FROM instruction */
  readonly range: SourceRange;
}

/** The stages a build of this file can target, in file order. */
export function listTargets(dockerfile: Dockerfile, comments: InstructionComments): BuildTarget[] {
  const last = dockerfile.stages.length - 1;
  return dockerfile.stages.map((stage) => ({
    name: stage.name ?? '',
    isDefault: stage.index === last,
    description: docComment(comments.get(stage.from.range.startLine), stage.name ?? ''),
    base: stage.from.image,
    platform: stage.from.platform ?? '',
    range: stage.from.range,
  }));
}
