/** Loads and validates a `--prices FILE` (schemas/prices.schema.json). */
import {check} from '../util/schemas.js'
import {AcoError} from '../errors.js'
import {readInputText} from '../util/fs-errors.js'
import type {UserPrice} from './book.js'
import {parseJson} from '../util/json-parse.js'

export async function loadUserPrices(path: string): Promise<UserPrice[]> {
  const text = await readInputText(path, 'the prices file')
  let data: unknown
  try {
    data = parseJson(text)
  } catch (error) {
    throw new AcoError('usage', `The prices file ${path} is not valid JSON: ${(error as Error).message}.`)
  }
  const problem = check('prices', data)
  if (problem) {
    throw new AcoError(
      'usage',
      `The prices file ${path} does not match schemas/prices.schema.json: ${problem}.`,
      'See the README section "Prices" for an example.',
    )
  }
  return (data as {models: UserPrice[]}).models
}
