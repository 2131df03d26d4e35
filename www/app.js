// Entry point of the demo page: reads the URL settings and connects the worker
// client, the view and the controller. The work itself starts in Controller.start.

import { Controller } from './controller.js';
import { Engine } from './engine.js';
import { readSettings } from './settings.js';
import { View } from './view.js';

const view = new View(document);

let settings;
try {
  settings = readSettings(location.search);
} catch (error) {
  view.showFatal(error.message);
}

if (settings !== undefined) {
  const controller = new Controller(new Engine(), view, settings, () => location.reload());
  controller.start();
}
