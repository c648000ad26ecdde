-- The target of the recovery example: the school's courses platform, with
-- UUID keys and the V1 key kept in a tracking column (old_id,
-- old_course_id, old_journal_id) by the tool that began the migration.
set client_min_messages = warning;
drop table if exists enrollments, courses, students, schools cascade;

create table schools (
	id		uuid primary key,
	name		text not null,
	city		text,
	old_id		bigint not null unique
);

create table students (
	id		uuid primary key,
	school_id	uuid references schools,
	full_name	text,
	birth_date	date,
	old_id		bigint not null unique
);

create table courses (
	id		uuid primary key,
	school_id	uuid references schools,
	title		text not null,
	term		text,
	old_course_id	bigint not null unique
);

create table enrollments (
	id		uuid primary key,
	student_id	uuid not null references students,
	course_id	uuid not null references courses,
	grade		numeric(5,2),
	created_at	timestamptz not null,
	old_journal_id	bigint not null unique
);
