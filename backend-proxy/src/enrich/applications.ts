/**
 * Application name from protocol + well-known server port. Names are IANA service names
 * (https://www.iana.org/assignments/service-names-port-numbers) where IANA has one, so a
 * name means the same thing here as in every other tool that follows the registry. Where the
 * IANA name is misleading in practice — it names another product than what runs on that port
 * today, or nobody would recognise it — the well-known practical name is kept, and the entry
 * says so (`IANA: …`). Ports IANA has not assigned carry the name everyone uses.
 * Either end may be the server: the lower well-known port wins, so replies (src_port 22) are ssh too.
 */
const TCP: Record<number, string> = {
  20: 'ftp-data',
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  25: 'smtp',
  53: 'dns', // IANA: domain; "dns" is what issue 2 and every analyst call it
  80: 'http',
  88: 'kerberos',
  110: 'pop3',
  111: 'sunrpc',
  135: 'epmap', // the DCE/RPC endpoint mapper (Windows RPC)
  139: 'netbios-ssn',
  143: 'imap',
  389: 'ldap',
  443: 'https',
  445: 'microsoft-ds', // SMB over TCP
  465: 'submissions', // RFC 8314 (was "smtps" informally)
  514: 'shell', // rsh; syslog over TCP is 601 / 6514 (UDP 514 is syslog)
  587: 'submission',
  601: 'syslog-conn',
  636: 'ldaps',
  873: 'rsync',
  993: 'imaps',
  995: 'pop3s',
  1433: 'ms-sql-s',
  1521: 'oracle', // IANA: ncube-lm, a product nobody runs; Oracle's listener is there in practice
  2049: 'nfs',
  2379: 'etcd-client',
  2380: 'etcd-server',
  3000: 'grafana', // IANA: hbci / remoteware-cl; Grafana's default port in practice
  3268: 'msft-gc', // Active Directory global catalog
  3269: 'msft-gc-ssl',
  3306: 'mysql',
  3389: 'rdp', // IANA: ms-wbt-server; "rdp" is what issue 2 and every analyst call it
  5432: 'postgresql',
  5671: 'amqps',
  5672: 'amqp',
  5900: 'rfb', // VNC's Remote Framebuffer protocol
  5985: 'wsman', // WinRM over http
  5986: 'wsmans', // WinRM over https
  6379: 'redis',
  6443: 'kubernetes-api', // IANA: sun-sr-https; the Kubernetes API server in practice
  6514: 'syslog-tls',
  8080: 'http-alt',
  8443: 'https-alt', // IANA: pcsync-https; alternative https in practice
  9092: 'kafka', // IANA: XmlIpcRegSvc; Kafka brokers in practice
  9200: 'elasticsearch', // IANA: wap-wsp; Elasticsearch's REST API in practice
  9418: 'git',
  11211: 'memcache',
  27017: 'mongodb',
};
const UDP: Record<number, string> = {
  53: 'dns', // IANA: domain (as TCP)
  67: 'bootps', // DHCP server (DHCP is BOOTP's successor on the same ports)
  68: 'bootpc', // DHCP client
  69: 'tftp',
  123: 'ntp',
  137: 'netbios-ns',
  138: 'netbios-dgm',
  161: 'snmp',
  162: 'snmptrap',
  443: 'https', // HTTP/3 over QUIC
  500: 'isakmp',
  514: 'syslog',
  1194: 'openvpn',
  1812: 'radius',
  1813: 'radius-acct',
  2055: 'netflow', // IANA: iop; NetFlow export in practice
  4500: 'ipsec-nat-t',
  4739: 'ipfix',
  4789: 'vxlan',
  5353: 'mdns',
  6343: 'sflow',
  51820: 'wireguard', // not assigned by IANA; WireGuard's default
};
const PROTOCOL_ONLY: Record<number, string> = { 1: 'icmp', 2: 'igmp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 89: 'ospf', 132: 'sctp' };

/** IANA protocol numbers whose headers carry ports (TCP, UDP, DCCP, UDP-Lite, SCTP). */
export const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 33, 132, 136]);

/**
 * One override from the network config: `{protocol, port, name}` names a port of that protocol
 * (TCP, UDP, SCTP, …); `{protocol, name}` without a port names the protocol itself (e.g. GRE).
 * Validated in networks.ts.
 */
export interface ApplicationOverride {
  protocol: number;
  port?: number | null;
  name: string;
}
export type ApplicationOverrides = ApplicationOverride[];

function tableOf(entries: Record<number, string>): Map<number, string> {
  return new Map(Object.entries(entries).map(([p, n]) => [Number(p), n]));
}

export class ApplicationClassifier {
  /** Port → name, per protocol number: overrides go to their own protocol's table. */
  private readonly ports = new Map<number, Map<number, string>>();
  private readonly protocols = tableOf(PROTOCOL_ONLY);

  constructor(overrides: ApplicationOverrides = []) {
    this.ports.set(6, tableOf(TCP));
    this.ports.set(17, tableOf(UDP));
    for (const o of overrides) {
      if (o.port === undefined || o.port === null) {
        this.protocols.set(o.protocol, o.name);
        continue;
      }
      let table = this.ports.get(o.protocol);
      if (!table) this.ports.set(o.protocol, (table = new Map()));
      table.set(o.port, o.name);
    }
  }

  classify(protocol: number, srcPort: number | null, dstPort: number | null): string | null {
    const table = this.ports.get(protocol);
    if (table) {
      const a = dstPort === null ? undefined : table.get(dstPort);
      const b = srcPort === null ? undefined : table.get(srcPort);
      if (a && b) return (dstPort as number) <= (srcPort as number) ? a : b;
      if (a || b) return (a ?? b)!;
    }
    // No known port: the protocol's own name (GRE, ICMP…; TCP and UDP have none unless configured).
    return this.protocols.get(protocol) ?? null;
  }
}

export const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 58: 'icmpv6', 132: 'sctp' };
