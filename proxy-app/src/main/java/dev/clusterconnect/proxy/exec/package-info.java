/**
 * The CLI as a client-go credential plugin: the kubeconfig {@code exec} stanza that calls it
 * ({@link dev.clusterconnect.proxy.exec.ExecStanza}) and the {@code ExecCredential} it prints
 * ({@link dev.clusterconnect.proxy.exec.ExecCredentialPlugin}), cached between kubectl runs.
 */
package dev.clusterconnect.proxy.exec;
