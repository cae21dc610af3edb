/**
 * Application name from protocol + well-known server port (IANA service names where they exist).
 * Either end may be the server: the lower well-known port wins, so replies (src_port 22) are ssh too.
 */
const TCP: Record<number, string> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'dns', 80: 'http', 88: 'kerberos',
  110: 'pop3', 111: 'sunrpc', 135: 'msrpc', 139: 'netbios-ssn', 143: 'imap', 389: 'ldap', 443: 'https',
  445: 'smb', 465: 'smtps', 514: 'syslog', 587: 'submission', 636: 'ldaps', 873: 'rsync', 993: 'imaps',
  995: 'pop3s', 1433: 'mssql', 1521: 'oracle', 2049: 'nfs', 2379: 'etcd', 3000: 'grafana', 3268: 'ldap-gc',
  3306: 'mysql', 3389: 'rdp', 5432: 'postgresql', 5671: 'amqps', 5672: 'amqp', 5900: 'vnc', 5985: 'winrm',
  5986: 'winrm-https', 6379: 'redis', 6443: 'kubernetes-api', 8080: 'http-alt', 8443: 'https-alt',
  9092: 'kafka', 9200: 'elasticsearch', 9418: 'git', 11211: 'memcached', 27017: 'mongodb',
};
const UDP: Record<number, string> = {
  53: 'dns', 67: 'dhcp', 68: 'dhcp', 69: 'tftp', 123: 'ntp', 137: 'netbios-ns', 138: 'netbios-dgm',
  161: 'snmp', 162: 'snmp-trap', 443: 'quic', 500: 'isakmp', 514: 'syslog', 1194: 'openvpn',
  1812: 'radius', 2055: 'netflow', 4500: 'ipsec-nat-t', 4739: 'ipfix', 4789: 'vxlan', 5353: 'mdns',
  6343: 'sflow', 51820: 'wireguard',
};
const PROTOCOL_ONLY: Record<number, string> = { 1: 'icmp', 2: 'igmp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 89: 'ospf', 132: 'sctp' };

export type ApplicationOverrides = { protocol: number; port: number; name: string }[];

export class ApplicationClassifier {
  private readonly tcp: Map<number, string>;
  private readonly udp: Map<number, string>;

  constructor(overrides: ApplicationOverrides = []) {
    this.tcp = new Map(Object.entries(TCP).map(([p, n]) => [Number(p), n]));
    this.udp = new Map(Object.entries(UDP).map(([p, n]) => [Number(p), n]));
    for (const o of overrides) (o.protocol === 17 ? this.udp : this.tcp).set(o.port, o.name);
  }

  classify(protocol: number, srcPort: number | null, dstPort: number | null): string | null {
    const table = protocol === 6 ? this.tcp : protocol === 17 ? this.udp : null;
    if (!table) return PROTOCOL_ONLY[protocol] ?? null;
    const a = dstPort === null ? undefined : table.get(dstPort);
    const b = srcPort === null ? undefined : table.get(srcPort);
    if (a && b) return (dstPort as number) <= (srcPort as number) ? a : b;
    return a ?? b ?? null;
  }
}

export const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 58: 'icmpv6', 132: 'sctp' };
