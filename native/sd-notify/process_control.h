#ifndef LIFEGUARD_PROCESS_CONTROL_H
#define LIFEGUARD_PROCESS_CONTROL_H
#include <node_api.h>
// Adds setChildSubreaper(), reapChild(pid), readXattr(path, name) and pollHangup(fd) to the addon's exports; 0 on success.
int register_process_control(napi_env env, napi_value exports);
#endif
