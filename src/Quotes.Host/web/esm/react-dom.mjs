// react-dom as an ES module for the browser, made by the host's build (web/vendor.targets): React 19 ships CommonJS only, so
// its production CommonJS file runs unchanged inside the function below, and its exports are re-exported by name.
// Generated into wwwroot/vendor; edit this template, not the output.
import React from './react.mjs';
const module = { exports: {} };
(function (module, exports, require) {
/*COMMONJS*/
})(module, module.exports, name => ({ react: React })[name]);
const ReactDOM = module.exports;
export default ReactDOM;
export const {
  __DOM_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE, browser, createPortal, flushSync, preconnect, prefetchDNS, preinit,
  preinitModule, preload, preloadModule, requestFormReset, unstable_batchedUpdates, useFormState, useFormStatus, version,
} = ReactDOM;
