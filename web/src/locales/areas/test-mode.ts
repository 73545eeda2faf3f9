/**
 * Test data (the back office shows the live book or the test book, one at a time): the header switch,
 * the banner across every page, and what forms say about the book they change.
 * vue-i18n reserves `{ } @ $ |` inside messages.
 */
export const en = {
  switch: 'Test data',
  switchOn: 'Showing test data. Switch off to see live data.',
  switchOff: 'Showing live data. Switch on to see test orders, payouts and balances.',
  banner: 'Test data — test orders, payouts and balances only',
  leave: 'Back to live data',
  fundRequestLive: 'This request changes the live balance.',
  fundRequestTest: 'Test data is on: this request changes the test balance only, never live money.',
  adjustLive: 'This adjustment changes the live balance.',
  adjustTest: 'Test data is on: this adjustment changes the test balance only, never live money.',
  exportTest: 'Test data',
  exportLive: 'Live data',
};

export const zh: typeof en = {
  switch: '测试数据',
  switchOn: '正在显示测试数据。关闭后显示正式数据。',
  switchOff: '正在显示正式数据。打开后显示测试订单、测试代付和测试余额。',
  banner: '测试数据 — 仅显示测试订单、测试代付和测试余额',
  leave: '返回正式数据',
  fundRequestLive: '此申请变动正式余额。',
  fundRequestTest: '已打开测试数据：此申请只变动测试余额，不涉及真实资金。',
  adjustLive: '此调整变动正式余额。',
  adjustTest: '已打开测试数据：此调整只变动测试余额，不涉及真实资金。',
  exportTest: '测试数据',
  exportLive: '正式数据',
};
