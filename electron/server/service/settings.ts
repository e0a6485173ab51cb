/** Settings persisted as JSON in the config folder; unknown or invalid values fall back to defaults. */
import fs from 'node:fs';
import path from 'node:path';
import { SettingsPatchSchema, type Settings, type SettingsPatch } from '../../core/contract/channels.js';
import { logger } from '../../core/log.js';
import { writeFileAtomic } from '../../core/recording/store.js';

const log = logger('settings');

export class SettingsStore {
  private readonly file: string;
  private value: Settings;

  constructor(configDir: string, defaults: Settings) {
    fs.mkdirSync(configDir, { recursive: true });
    this.file = path.join(configDir, 'settings.json');
    this.value = { ...defaults };
    if (fs.existsSync(this.file)) {
      try {
        const patch = SettingsPatchSchema.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')), this.file);
        this.value = { ...defaults, ...patch };
      } catch (err) {
        log.warn(`ignoring unreadable ${this.file}`, err);
      }
    }
  }

  get(): Settings {
    return { ...this.value };
  }

  set(patch: SettingsPatch): Settings {
    this.value = { ...this.value, ...patch };
    writeFileAtomic(this.file, `${JSON.stringify(this.value, null, 2)}\n`);
    return this.get();
  }
}
