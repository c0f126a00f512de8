import { describe, expect, it } from 'vitest';
import {
  blankPrinter,
  hostProblem,
  packageLabelTemplate,
  printerInput,
  printStatusLabel,
  printsInFlight,
  svgImageSource,
  validatePrint,
  validatePrinter,
} from './labels';

describe('labels in the web', () => {
  it('labels a package of one GTIN with its content and count, a mixed one by its SSCC, an empty one not', () => {
    expect(packageLabelTemplate(['09521234100010', '09521234100010'])).toBe('pallet-4x6');
    expect(packageLabelTemplate(['09521234100010', '09521234100027'])).toBe('pallet-mixed-4x6');
    expect(packageLabelTemplate(['09521234100010', null])).toBe('pallet-mixed-4x6');
    expect(packageLabelTemplate([])).toBeNull();
  });

  it('reads the print log again only while a print waits for the edge or the printer', () => {
    expect(printsInFlight([])).toBe(false);
    expect(printsInFlight([{ status: 'printed' }, { status: 'failed' }])).toBe(false);
    expect(printsInFlight([{ status: 'printed' }, { status: 'sent' }])).toBe(true);
    expect(printsInFlight([{ status: 'queued' }])).toBe(true);
    expect(printStatusLabel('sent')).toBe('Sent to the printer');
  });

  it('checks a printer as the API does', () => {
    const valid = { ...blankPrinter('p1'), code: 'DOCK-1', name: 'Dock 1', host: 'zt411.plant.local' };
    expect(validatePrinter(valid)).toEqual({});
    expect(printerInput({ ...valid, port: '6101', dotsPerMm: '12' })).toEqual({
      code: 'DOCK-1',
      name: 'Dock 1',
      host: 'zt411.plant.local',
      port: 6101,
      dotsPerMm: 12,
    });
    expect(validatePrinter({ ...blankPrinter(), code: 'a b', port: '70000' })).toEqual({
      plantId: 'Choose a plant',
      code: 'Use 1–64 letters, digits and _ . - / (no spaces)',
      name: 'Enter a name',
      host: 'Enter the printer’s host name or address',
      port: 'A port from 1 to 65535',
    });
    for (const host of ['10.0.0.21', 'fd00::21', 'printer', 'zt411-dock1.riverside.local'])
      expect(hostProblem(host), host).toBeNull();
    for (const host of ['tcp://10.0.0.1', '10.0.0.1:9100', 'printer dock', '-printer', 'x'.repeat(254)])
      expect(hostProblem(host), host).toBe('A host name or an IP address, without a scheme or port');
  });

  it('asks for a reason when the label was printed before', () => {
    const request = { printerId: 'p1', copies: '1', reason: '' };
    expect(validatePrint(request, false)).toEqual({});
    expect(validatePrint(request, true)).toEqual({ reason: 'Say why it is printed again' });
    expect(validatePrint({ ...request, reason: 'Torn' }, true)).toEqual({});
    expect(validatePrint({ printerId: '', copies: '0', reason: '' }, false)).toEqual({
      printerId: 'Choose a printer',
      copies: 'At least one copy',
    });
    expect(validatePrint({ ...request, copies: '101' }, false)).toEqual({ copies: 'At most 100 copies' });
  });

  it('shows the label’s SVG as an image, so nothing in it runs', () => {
    expect(svgImageSource('<svg><text>A&B</text></svg>')).toBe(
      'data:image/svg+xml;charset=utf-8,%3Csvg%3E%3Ctext%3EA%26B%3C%2Ftext%3E%3C%2Fsvg%3E',
    );
  });
});
