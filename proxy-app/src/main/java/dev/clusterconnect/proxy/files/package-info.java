/**
 * Files that hold credentials: atomic, owner-only writes ({@link dev.clusterconnect.proxy.files.PrivateFiles})
 * and the CLI's XDG config and cache directories ({@link dev.clusterconnect.proxy.files.ClientDirectories}).
 */
package dev.clusterconnect.proxy.files;
