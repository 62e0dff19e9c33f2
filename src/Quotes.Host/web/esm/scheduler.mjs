// scheduler as an ES module for the browser, made by the host's build (web/vendor.targets): React 19 ships CommonJS only, so
// its production CommonJS file runs unchanged inside the function below, and its exports are re-exported by name.
// Generated into wwwroot/vendor; edit this template, not the output.
const module = { exports: {} };
(function (module, exports) {
/*COMMONJS*/
})(module, module.exports);
export default module.exports;
