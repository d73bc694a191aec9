/** Checks shared by the kinds that choose among strings (Dropdown, Radio, CheckboxGroup): a non-empty list without duplicates. */

/**
 * The choices of a choice kind, checked when it is built; Gradio requires them too.
 *
 * @example
 * checkChoices('Radio', ['S', 'M', 'L']); // ['S', 'M', 'L']
 */
export function checkChoices<C extends string>(component: string, choices: unknown): readonly [C, ...C[]] {
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
    throw new TypeError(`${component}(): option "choices" must be a non-empty list of strings`);
  }
  if (new Set(choices).size !== choices.length) throw new TypeError(`${component}(): option "choices" has duplicates`);
  return choices as unknown as readonly [C, ...C[]];
}
