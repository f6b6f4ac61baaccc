// govuk-frontend ships JavaScript without type declarations; these are the parts this page uses.
declare module 'govuk-frontend' {
  interface ComponentClass {
    new ($root: Element | null, config?: object): unknown;
    moduleName: string;
  }
  export const Button: ComponentClass;
  export const Checkboxes: ComponentClass;
  export const ErrorSummary: ComponentClass;
  export const Radios: ComponentClass;
  export const SkipLink: ComponentClass;
  export function createAll(component: ComponentClass, config?: object, scopeOrOptions?: Element | Document | { scope?: Element | Document; onError?: (error: unknown) => void }): unknown[];
}
