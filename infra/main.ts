import { App } from 'cdktf';
import { configFromEnv } from './config';
import { GpuzCloudStack } from './stack';

const app = new App();
new GpuzCloudStack(app, 'gpuz-cloud', configFromEnv(process.env));
app.synth();
