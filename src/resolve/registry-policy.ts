// Gosh.yaml `policy.registries`: the registries a build may take images from. One check for the
// frontend (before it resolves anything) and `gosh verify`, so both say the same.
import { diagnostic, type Diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { imageLockKey } from '../lock/image-key.js';
import type { ImageUse } from './resolve.js';

/**
 * One OPTION_INVALID per use, at its line, of an image from a registry `allowed` does not list.
 * @param setAt where the policy is written (Gosh.yaml, and its line when known), for a note
 */
export function disallowedRegistries(uses: readonly ImageUse[], allowed: readonly string[], setAt?: { readonly file: string; readonly range?: SourceRange }): Diagnostic[] {
  return uses
    .filter((u) => !allowed.includes(u.ref.domain))
    .map((u) =>
      diagnostic(
        'OPTION_INVALID',
        `image ${imageLockKey(u.ref)}: registry ${u.ref.domain} is not allowed by policy.registries (${allowed.join(', ')})`,
        { file: u.file, range: u.range },
        setAt !== undefined ? [{ message: 'policy.registries is set here', ...setAt }] : [],
      ),
    );
}
