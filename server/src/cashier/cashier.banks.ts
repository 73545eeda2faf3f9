/**
 * Bank codes the cashier offers as a select for the bank services of seed 001 that need one
 * ("Bank Code: required for Thai / Vietnamese / Indonesian bank services"). Codes are the short names
 * payment providers in those markets commonly use (and the demo data uses); other currencies get a
 * free-text input. The server does not restrict the value: a provider may know more banks than these.
 */

export interface BankOption {
  code: string;
  name: string;
}

export const BANKS_BY_CURRENCY: Readonly<Record<string, readonly BankOption[]>> = {
  THB: [
    { code: 'KBANK', name: 'Kasikornbank' },
    { code: 'SCB', name: 'Siam Commercial Bank' },
    { code: 'BBL', name: 'Bangkok Bank' },
    { code: 'KTB', name: 'Krungthai Bank' },
    { code: 'BAY', name: 'Bank of Ayudhya (Krungsri)' },
    { code: 'TTB', name: 'TMBThanachart Bank' },
    { code: 'GSB', name: 'Government Savings Bank' },
    { code: 'BAAC', name: 'Bank for Agriculture and Agricultural Cooperatives' },
    { code: 'GHB', name: 'Government Housing Bank' },
    { code: 'UOBT', name: 'United Overseas Bank (Thai)' },
    { code: 'CIMBT', name: 'CIMB Thai Bank' },
    { code: 'KKP', name: 'Kiatnakin Phatra Bank' },
    { code: 'TISCO', name: 'TISCO Bank' },
    { code: 'LHB', name: 'Land and Houses Bank' },
  ],
  VND: [
    { code: 'VCB', name: 'Vietcombank' },
    { code: 'TCB', name: 'Techcombank' },
    { code: 'ACB', name: 'Asia Commercial Bank' },
    { code: 'BIDV', name: 'BIDV' },
    { code: 'MB', name: 'MB Bank' },
    { code: 'VPB', name: 'VPBank' },
    { code: 'VTB', name: 'VietinBank' },
    { code: 'AGB', name: 'Agribank' },
    { code: 'TPB', name: 'TPBank' },
    { code: 'STB', name: 'Sacombank' },
    { code: 'SHB', name: 'SHB' },
    { code: 'HDB', name: 'HDBank' },
    { code: 'VIB', name: 'VIB' },
    { code: 'MSB', name: 'MSB' },
    { code: 'OCB', name: 'OCB' },
    { code: 'EIB', name: 'Eximbank' },
    { code: 'SEAB', name: 'SeABank' },
  ],
  IDR: [
    { code: 'BCA', name: 'Bank Central Asia' },
    { code: 'BRI', name: 'Bank Rakyat Indonesia' },
    { code: 'BNI', name: 'Bank Negara Indonesia' },
    { code: 'MANDIRI', name: 'Bank Mandiri' },
    { code: 'CIMB', name: 'CIMB Niaga' },
    { code: 'PERMATA', name: 'Bank Permata' },
    { code: 'BSI', name: 'Bank Syariah Indonesia' },
    { code: 'DANAMON', name: 'Bank Danamon' },
    { code: 'BTN', name: 'Bank Tabungan Negara' },
    { code: 'MAYBANK', name: 'Maybank Indonesia' },
    { code: 'OCBC', name: 'OCBC NISP' },
    { code: 'PANIN', name: 'Panin Bank' },
    { code: 'MEGA', name: 'Bank Mega' },
    { code: 'BJB', name: 'Bank BJB' },
  ],
};

/** The select's options for an order in `currency`, or null (then the cashier shows a text input). */
export function bankOptions(currency: string): readonly BankOption[] | null {
  return BANKS_BY_CURRENCY[currency.toUpperCase()] ?? null;
}
