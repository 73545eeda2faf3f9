import urql from '@urql/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { client } from './graphql/client';
import { i18n } from './locales';
import { router } from './router';

createApp(App).use(i18n).use(router).use(urql, client).mount('#app');
