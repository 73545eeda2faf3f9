/**
 * Bank codes offered for the bank services of seed 001 that need one ("Bank Code: required for Thai /
 * Vietnamese / Indonesian bank services"), the same short codes the hosted cashier offers. The field
 * also takes any other code: a provider may know more banks than these.
 */
export const BANK_CODES: Readonly<Record<string, readonly string[]>> = {
  CNY: ['ICBC', 'CCB', 'ABC', 'BOC', 'CMB', 'BOCOM'],
  THB: ['KBANK', 'SCB', 'BBL', 'KTB', 'BAY', 'TTB', 'GSB', 'BAAC', 'GHB', 'UOBT', 'CIMBT', 'KKP', 'TISCO', 'LHB'],
  VND: ['VCB', 'TCB', 'ACB', 'BIDV', 'MB', 'VPB', 'VTB', 'AGB', 'TPB', 'STB', 'SHB', 'HDB', 'VIB', 'MSB', 'OCB', 'EIB', 'SEAB'],
  IDR: ['BCA', 'BRI', 'BNI', 'MANDIRI', 'CIMB', 'PERMATA', 'BSI', 'DANAMON', 'BTN', 'MAYBANK', 'OCBC', 'PANIN', 'MEGA', 'BJB'],
};
