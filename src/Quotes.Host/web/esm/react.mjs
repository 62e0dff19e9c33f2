// react as an ES module for the browser, made by the host's build (web/vendor.targets): React 19 ships CommonJS only, so
// its production CommonJS file runs unchanged inside the function below, and its exports are re-exported by name.
// Generated into wwwroot/vendor; edit this template, not the output.
const module = { exports: {} };
(function (module, exports) {
/*COMMONJS*/
})(module, module.exports);
const React = module.exports;
export default React;
export const {
  Activity, Children, Component, Fragment, Profiler, PureComponent, StrictMode, Suspense, ViewTransition,
  __CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE, __COMPILER_RUNTIME, addTransitionType, cache, cacheSignal,
  cloneElement, createContext, createElement, createRef, forwardRef, isValidElement, lazy, memo, startTransition,
  unstable_useCacheRefresh, use, useActionState, useCallback, useContext, useDebugValue, useDeferredValue, useEffect,
  useEffectEvent, useId, useImperativeHandle, useInsertionEffect, useLayoutEffect, useMemo, useOptimistic, useReducer, useRef,
  useState, useSyncExternalStore, useTransition, version,
} = React;
