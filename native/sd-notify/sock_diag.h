#ifndef LIFEGUARD_SOCK_DIAG_H
#define LIFEGUARD_SOCK_DIAG_H
#include <node_api.h>
// Adds tcpSockets(family, states) and tcpSocket(family, local, localPort, remote, remotePort) to the addon's exports; 0 on success.
int register_sock_diag(napi_env env, napi_value exports);
#endif
