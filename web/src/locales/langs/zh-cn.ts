import type { LocaleSchema } from './en-us';

/** Simplified Chinese messages; the `LocaleSchema` annotation makes a missing or extra key a type error. */
const zhCN: LocaleSchema = {
  app: {
    name: 'Payrail',
    subtitle: '管理后台',
  },
  common: {
    retry: '重试',
    refresh: '刷新',
    backHome: '返回首页',
  },
  header: {
    language: '语言',
    switchToDark: '切换到深色主题',
    switchToLight: '切换到浅色主题',
  },
  route: {
    status: '系统状态',
    notFound: '页面不存在',
  },
  system: {
    status: {
      platform: '平台',
      health: '健康状态',
      database: '数据库',
      databaseUp: '已连接',
      databaseDown: '无法连接',
      version: '版本',
      healthStatus: {
        ok: '运行正常',
        degraded: '服务降级',
      },
      currencies: '币种',
      currencyCode: '代码',
      currencyName: '名称',
      currencyDigits: '小数位数',
      noCurrencies: '尚未配置任何币种。',
      loadFailed: '无法加载系统状态',
      partialFailure: '部分状态加载失败：{message}',
    },
  },
  notFound: {
    description: '页面 {path} 不存在。',
  },
};

export default zhCN;
