/**
 * `vitrine/ui`: what an app's own element is built from — the field base class with its name,
 * label, help text and read-only state, the theme, and Lit's templates and decorators.
 *
 * @example
 * import { FieldElement, html } from 'vitrine/ui';
 * class Stars extends FieldElement<number> { static properties = { value: { type: Number } }; … }
 */
export { FieldElement, type ExampleView } from './internal/field-element.ts';
export { VitrineElement } from './internal/vitrine-element.ts';
export { themeStyles } from './internal/theme.styles.ts';
export { LitElement, html, css, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
export { property, state, query } from 'lit/decorators.js';
