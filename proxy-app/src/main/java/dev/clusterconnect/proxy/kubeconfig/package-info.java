/**
 * Writing kubectl's configuration: merging one cluster into the user's kubeconfig
 * ({@link dev.clusterconnect.proxy.kubeconfig.KubeconfigFile}), removing it again, and producing
 * a standalone file ({@link dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig}).
 *
 * <h2>Why a splice and not load-and-dump</h2>
 * A kubeconfig is edited by people and by other tools; loading it into maps and dumping it again
 * would drop their comments, reorder keys and requote values. Instead
 * {@link dev.clusterconnect.proxy.kubeconfig.KubeconfigDocument} composes the text with
 * snakeyaml-engine, whose nodes carry their start and end positions, and replaces only the lines
 * of the one list item it changes (or inserts after the last item, at that list's indentation).
 * Every other byte of the file stays as it was; merging an entry and removing it again gives the
 * original file back. Only a file whose top level is not block-style YAML is rewritten whole.
 */
package dev.clusterconnect.proxy.kubeconfig;
