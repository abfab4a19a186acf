import { describe, expect, it } from 'vitest';
import { suggestLabels } from './suggest-labels';

describe('suggestLabels', () => {
  it('recognises healthcare and personal data in a patient tool', () => {
    expect(suggestLabels({ name: 'read_chart', description: 'Read the full chart of a patient by MRN' })).toEqual(['healthcare', 'pii']);
  });
  it('recognises retail and finance in an inventory quote tool', () => {
    expect(suggestLabels({ name: 'price_quote', description: 'Quote a price for a product with quantity discounts' })).toEqual(['finance', 'retail']);
  });
  it('suggests nothing for a neutral tool', () => {
    expect(suggestLabels({ name: 'echo', description: 'Echoes its input back' })).toEqual([]);
  });
});
