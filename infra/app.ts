import { App } from 'aws-cdk-lib';
import { readStageConfig } from './config.js';
import { NewsalertStack } from './stacks/newsalert-stack.js';

const app = new App();
const config = readStageConfig(app.node.tryGetContext('stage') ?? 'dev', process.env, {
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  alertEndpoints: app.node.tryGetContext('alertEndpoints'),
  alertsTopicMessages: app.node.tryGetContext('alertsTopicMessages'),
});
new NewsalertStack(app, `newsalert-${config.stage}`, { config, env: config.env });
