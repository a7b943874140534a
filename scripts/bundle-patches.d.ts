export function acoCollate(a: string, b: string): number
export function genaiPricesWithoutCollator(source: string): string | undefined
export function oclifPluginWithoutCollator(source: string): string | undefined
export function lazyExecFile(source: string): string | undefined
export function lazyTinyglobby(source: string): string | undefined
export function oclifWithoutEngineCheck(source: string): string | undefined
export function lazyStringWidth(source: string): string | undefined
export const LAZY_BUILTINS: string[]
export function lazyBuiltins(bundle: string): {text: string; count: number}
export function genaiPricesUnitsOnce(source: string): string | undefined
export function lazyModelsCatalog(
  providers: unknown,
  readExpression: string,
): {json: string; expression: string} | undefined
