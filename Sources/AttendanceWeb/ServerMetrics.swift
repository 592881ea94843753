import AttendanceStore
import Foundation
import Metrics
import Prometheus
import Vapor

/// The server's metrics for Prometheus (`/metrics`): requests by route pattern, register saves, the day's run,
/// messages sent, and what the record holds. Recorded through swift-metrics with this server's own factory (no
/// process-wide metrics system), into a Prometheus registry. No label holds anything a person typed or a pupil's
/// identity: a route is its pattern (`schools/:laestab/pupils/:upn`), never its path.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Pages should answer in milliseconds; the day's run takes minutes for an authority.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.durationHistogramBuckets["attendance_procedure_run_seconds"] = [
            .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
            .seconds(600),
        ]
        self.factory = factory
        // Shown as 0 from the start, so that an alert on any increase has a value to compare.
        _ = Counter(label: "attendance_database_pool_exhausted_total", factory: factory)
    }

    /// A request answered: its method, route pattern and status class, and how long it took.
    func answered(method: HTTPMethod, route: String, status: HTTPResponseStatus, took: Duration) {
        let statusClass = "\(status.code / 100)xx"
        Counter(
            label: "attendance_http_requests_total",
            dimensions: [("method", method.rawValue), ("route", route), ("status", statusClass)], factory: factory
        ).increment()
        CoreMetrics.Timer(
            label: "attendance_http_request_duration_seconds",
            dimensions: [("method", method.rawValue), ("route", route)],
            factory: factory
        ).record(duration: took)
    }

    /// A register saved (`saved`) or refused by a rule or a conflict (`refused`), by a page or the API.
    func registerSave(saved: Bool) {
        Counter(
            label: "attendance_register_saves_total", dimensions: [("outcome", saved ? "saved" : "refused")],
            factory: factory
        ).increment()
    }

    /// The day's run done on this server: how long it took and what it recorded.
    func dailyRun(took: Duration, recorded: Int) {
        CoreMetrics.Timer(label: "attendance_procedure_run_seconds", factory: factory).record(duration: took)
        Counter(label: "attendance_procedure_actions_recorded_total", factory: factory).increment(by: recorded)
    }

    /// Messages this server sent, and those that failed (to be retried).
    func messages(sent: Int, failed: Int) {
        Counter(label: "attendance_messages_sent_total", factory: factory).increment(by: sent)
        Counter(label: "attendance_message_failures_total", factory: factory).increment(by: failed)
    }

    /// A request answered busy: every database connection stayed taken for the pool's whole wait.
    func poolExhausted() {
        Counter(label: "attendance_database_pool_exhausted_total", factory: factory).increment()
    }

    /// The text Prometheus reads, with the record's counts and the database's readiness read now.
    func exposition(store: Store) async -> String {
        let started = ContinuousClock.now
        let ready = await store.operations.readiness()
        let answered = ContinuousClock.now - started
        Gauge(label: "attendance_database_ready", factory: factory).record(ready == .ready ? 1 : 0)
        Gauge(label: "attendance_database_pool_connections", factory: factory).record(store.connectionLimit)
        Gauge(label: "attendance_database_answer_seconds", factory: factory).record(
            Double(answered.components.seconds) + Double(answered.components.attoseconds) / 1e18)
        if ready == .ready, let counts = try? await store.operations.recordCounts() {
            Gauge(label: "attendance_record_letters", factory: factory).record(counts.letters)
            for (status, count) in counts.messages {
                Gauge(label: "attendance_record_messages", dimensions: [("status", status)], factory: factory)
                    .record(count)
            }
            Gauge(label: "attendance_jobs_running", factory: factory).record(counts.jobsRunning)
        }
        return registry.emitToString()
    }
}

/// Counts and times every request by its route's pattern (outermost, so errors are counted with the status their
/// page was given).
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: ServerMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            record(request, status: (error as? any AbortError)?.status ?? .internalServerError, since: started)
            throw error
        }
        record(request, status: response.status, since: started)
        return response
    }

    private func record(_ request: Request, status: HTTPResponseStatus, since started: ContinuousClock.Instant) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.answered(method: request.method, route: route, status: status, took: ContinuousClock.now - started)
        if request.method == .POST, let pattern = request.route?.path.map(\.description),
            pattern == SiteURL.register.pattern || pattern == SiteURL.apiRegister.pattern
        {
            // A saved register answers with a redirect (the page) or 200 (the API); a refusal shows the page again.
            metrics.registerSave(
                saved: status == .seeOther || (status == .ok && pattern == SiteURL.apiRegister.pattern))
        }
    }
}

/// `/metrics`: for the monitoring system, from the addresses the settings name (this machine's own by default),
/// else "not found".
enum MetricsRoute {
    @Sendable static func answer(_ request: Request) async throws -> Response {
        guard let address = request.clientAddress, request.context.configuration.metricsFrom.contains(address) else {
            throw Abort(.notFound)
        }
        let text = await request.context.metrics.exposition(store: request.context.store)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
