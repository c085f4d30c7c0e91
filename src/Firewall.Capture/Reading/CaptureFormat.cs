namespace Firewall.Capture.Reading;

public enum CaptureFormat
{
    /// <summary>Classic libpcap format (microsecond or nanosecond, either byte order; also the modified format of Kuznetsov's patched libpcap).</summary>
    Pcap,

    /// <summary>pcapng (draft-ietf-opsawg-pcapng).</summary>
    Pcapng,
}
