//! Bolt, the protocol of Neo4j's drivers: the handshake (versions 5.0–5.8
//! and 4.4), chunked messages, and a connection loop that hands each
//! request to the state machine in [`machine`]. Bytes that break the
//! protocol (a bad handshake, oversized or malformed messages, unknown
//! tags) end that connection, with a FAILURE where one can still be sent.

mod chunk;
pub mod errors;
mod machine;
mod notices;
pub mod packstream;
pub mod values;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use super::{Core, Service, ServiceFuture};
use packstream::Pack;

/// The four bytes every Bolt client sends first.
pub const MAGIC: [u8; 4] = [0x60, 0x60, 0xB0, 0x17];

/// A negotiated protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major version (4 or 5).
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Whether this server speaks `v`.
fn supported(v: Version) -> bool {
    matches!((v.major, v.minor), (5, 0..=8) | (4, 4))
}

/// The best version among the four proposals of a handshake: each is
/// `[0, range, minor, major]` and offers `major.minor` down to
/// `major.(minor - range)`. Manifest-style offers (`0x000001FF`) and
/// versions this server does not speak are skipped. `None` if nothing fits.
pub fn negotiate(proposals: &[u8; 16]) -> Option<Version> {
    proposals.chunks_exact(4).find_map(|p| {
        let (range, minor, major) = (p[1], p[2], p[3]);
        (0..=range.min(minor))
            .map(|down| Version {
                major,
                minor: minor - down,
            })
            .find(|v| supported(*v))
    })
}

/// The Bolt service.
#[derive(Debug, Clone, Copy, Default)]
pub struct BoltService;

impl Service for BoltService {
    fn name(&self) -> &'static str {
        "bolt"
    }

    fn serve(self: Arc<Self>, listener: TcpListener, core: Arc<Core>) -> ServiceFuture {
        Box::pin(async move {
            let slots = Arc::new(Semaphore::new(core.config.max_connections.max(1)));
            let shutdown = core.shutdown_signal();
            tokio::pin!(shutdown);
            loop {
                let permit = tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    p = slots.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => return Ok(()),
                    },
                };
                let (stream, peer) = tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    accepted = listener.accept() => match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            core.log(&format!("bolt accept failed: {e}"));
                            continue;
                        }
                    },
                };
                let core = core.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    serve_connection(stream, peer, core).await;
                });
            }
        })
    }
}

/// How a connection ended, for its log line.
#[derive(Debug)]
pub(crate) enum Ending {
    Goodbye,
    ClientClosed,
    Idle,
    Shutdown,
    AuthFailed,
    Protocol(String),
    Io(io::Error),
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ending::Goodbye => write!(f, "goodbye"),
            Ending::ClientClosed => write!(f, "closed by the client"),
            Ending::Idle => write!(f, "idle timeout"),
            Ending::Shutdown => write!(f, "server shutdown"),
            Ending::AuthFailed => write!(f, "authentication failed"),
            Ending::Protocol(m) => write!(f, "protocol error: {m}"),
            Ending::Io(e) => write!(f, "i/o error: {e}"),
        }
    }
}

async fn serve_connection(stream: TcpStream, peer: SocketAddr, core: Arc<Core>) {
    let guard = core.connection();
    let local = stream.local_addr().unwrap_or(peer);
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut writer = BufWriter::new(write);
    let mut conn = machine::Connection::new(core.clone(), guard.id, peer, local);
    let ending = match handshake(&mut reader, &mut writer, &core).await {
        Ok(version) => {
            conn.set_version(version);
            run(&mut conn, &mut reader, &mut writer).await
        }
        Err(e) => e,
    };
    let _ = writer.flush().await;
    conn.finish().await;
    core.log(&format!("bolt #{} {}", guard.id, conn.describe(&ending)));
}

async fn handshake<R, W>(reader: &mut R, writer: &mut W, core: &Core) -> Result<Version, Ending>
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let mut hello = [0u8; 20];
    let read = tokio::time::timeout(core.config.idle_timeout, reader.read_exact(&mut hello)).await;
    match read {
        Err(_) => return Err(Ending::Idle),
        Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(Ending::Protocol("the handshake was cut short".into()));
        }
        Ok(Err(e)) => return Err(Ending::Io(e)),
        Ok(Ok(_)) => {}
    }
    if hello[..4] != MAGIC {
        return Err(Ending::Protocol("not a Bolt handshake (bad magic)".into()));
    }
    let mut proposals = [0u8; 16];
    proposals.copy_from_slice(&hello[4..]);
    match negotiate(&proposals) {
        Some(v) => {
            writer
                .write_all(&[0, 0, v.minor, v.major])
                .await
                .map_err(Ending::Io)?;
            writer.flush().await.map_err(Ending::Io)?;
            Ok(v)
        }
        None => {
            let _ = writer.write_all(&[0, 0, 0, 0]).await;
            Err(Ending::Protocol("no protocol version in common".into()))
        }
    }
}

async fn run<R, W>(conn: &mut machine::Connection, reader: &mut R, writer: &mut W) -> Ending
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let core = conn.core().clone();
    let shutdown = core.shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let idle = conn.idle_limit();
        let message = tokio::select! {
            _ = &mut shutdown => return Ending::Shutdown,
            m = tokio::time::timeout(idle, chunk::read_message(reader, core.config.max_message_bytes)) => m,
        };
        let bytes = match message {
            Err(_) => return Ending::Idle,
            Ok(Ok(Some(bytes))) => bytes,
            Ok(Ok(None)) => return Ending::ClientClosed,
            Ok(Err(chunk::ReadError::Io(e))) => return Ending::Io(e),
            Ok(Err(chunk::ReadError::TooLarge(n))) => {
                let message = format!("a message is larger than the limit of {n} bytes");
                let _ = send_failure(writer, &message).await;
                return Ending::Protocol(message);
            }
        };
        if bytes.is_empty() {
            continue; // a NOOP keep-alive
        }
        let (tag, fields) = match packstream::decode(&bytes) {
            Ok(Pack::Struct(tag, fields)) => (tag, fields),
            Ok(other) => {
                let message = format!(
                    "a request must be a structure, not a {}",
                    packstream::kind(&other)
                );
                let _ = send_failure(writer, &message).await;
                return Ending::Protocol(message);
            }
            Err(e) => {
                let message = e.to_string();
                let _ = send_failure(writer, &message).await;
                return Ending::Protocol(message);
            }
        };
        let mut out = Vec::new();
        let next = conn.handle(tag, fields, &mut out).await;
        if let Err(e) = writer.write_all(&out).await {
            return Ending::Io(e);
        }
        if let Err(e) = writer.flush().await {
            return Ending::Io(e);
        }
        if let Some(ending) = next {
            return ending;
        }
    }
}

async fn send_failure<W: AsyncWriteExt + Unpin>(writer: &mut W, message: &str) -> io::Result<()> {
    let mut out = Vec::new();
    let meta = errors::protocol("Neo.ClientError.Request.Invalid", message);
    chunk::write_message(&Pack::Struct(machine::FAILURE, vec![meta]), &mut out);
    writer.write_all(&out).await?;
    writer.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_ranges_and_skips_manifests() {
        let python6 = [0, 0, 1, 0xFF, 0, 8, 8, 5, 0, 2, 4, 4, 0, 0, 0, 3];
        assert_eq!(negotiate(&python6), Some(Version { major: 5, minor: 8 }));
        let future = [0, 3, 9, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(negotiate(&future), Some(Version { major: 5, minor: 8 }));
        let old = [0, 0, 4, 4, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(negotiate(&old), Some(Version { major: 4, minor: 4 }));
        assert_eq!(
            negotiate(&[0, 0, 0, 3, 0, 0, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0]),
            None
        );
        assert_eq!(negotiate(&[0xFF; 16]), None);
    }
}
