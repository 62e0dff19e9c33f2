// react-dom/client as an ES module for the browser, made by the host's build (web/vendor.targets): React 19 ships CommonJS only, so
// its production CommonJS file runs unchanged inside the function below, and its exports are re-exported by name.
// Generated into wwwroot/vendor; edit this template, not the output.
import React from './react.mjs';
import ReactDOM from './react-dom.mjs';
import Scheduler from './scheduler.mjs';
const module = { exports: {} };
(function (module, exports, require) {
/*COMMONJS*/
})(module, module.exports, name => ({ react: React, 'react-dom': ReactDOM, scheduler: Scheduler })[name]);
export default module.exports;
export const { createRoot, hydrateRoot, version } = module.exports;
