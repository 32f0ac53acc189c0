/** Routes an operator replaces or extends with YAML files: see {@code docs/yaml-routes.md}. */
package dev.clusterconnect.routes.yaml;
